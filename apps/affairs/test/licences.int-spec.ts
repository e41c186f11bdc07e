import { randomBytes, verify } from 'node:crypto';
import request from 'supertest';
import { AppConfig } from '@app/config';
import { RegionRegistry, licenceSigningInput } from '@app/contracts';
import { Role } from '@app/http';
import { TestService, eventually, startTestServices, testRegions, testToken } from '@app/testing';
import { LicenceVerification } from '../src/licences/licences-queries.service';
import { affairsModule, creditCode, residentId } from './affairs-fixtures';

describe('a licence issued in Laixi for an application filed in Laiyang, verified and revoked', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    const services = await startTestServices({ service: 'affairs', regions, appModule: affairsModule(regions) });
    laixi = services.laixi;
    laiyang = services.laiyang;
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  const as = (service: { config: AppConfig }, role: Role) => `Bearer ${testToken(service.config, role)}`;
  const code = creditCode('370285', 11);

  async function verification(service: TestService, creditCodeToCheck = code): Promise<LicenceVerification> {
    const response = await request(service.url)
      .get(`/licences/${creditCodeToCheck}`)
      .set('Authorization', as(service, 'window-clerk'));
    expect(response.status).toBe(200);
    return response.body as LicenceVerification;
  }

  it('verifies the licence in Laiyang from its replica, offline, and refuses it once Laixi revokes it', async () => {
    // Filed at Laiyang's joint window by a Laixi-registered enterprise: Laixi handles it.
    const filed = await request(laiyang.url)
      .post('/applications')
      .set('Authorization', as(laiyang, 'window-clerk'))
      .field(
        'application',
        JSON.stringify({
          matterCode: 'ENT-FOOD-BIZ',
          applicant: {
            kind: 'enterprise',
            residentId: residentId('370285', 11),
            name: '赵敏',
            mobile: '13612345678',
            creditCode: code,
            enterpriseName: '莱西液冷食品有限公司',
          },
          delivery: 'post',
          postalAddress: '莱阳市五龙北路 1 号',
        }),
      )
      .attach('application-form', randomBytes(4096), 'form.pdf')
      .attach('business-licence', randomBytes(4096), 'licence.pdf')
      .attach('legal-rep-id', randomBytes(4096), 'id.png')
      .attach('site-plan', randomBytes(4096), 'plan.pdf')
      .attach('food-safety-rules', randomBytes(4096), 'rules.pdf');
    expect(filed.status).toBe(201);
    const id = (filed.body as { applicationId: string; handlingRegion: string }).applicationId;
    expect((filed.body as { handlingRegion: string }).handlingRegion).toBe(regions.names.laixi);

    const officer = as(laixi, 'case-officer');
    await eventually(async () => {
      const found = await request(laixi.url).get(`/cases/${id}`).set('Authorization', officer);
      return found.status === 200 ? true : undefined;
    });
    for (const status of ['accepted', 'under-review', 'approved', 'result-issued']) {
      const decided = await request(laixi.url)
        .post(`/cases/${id}/decisions`)
        .set('Authorization', officer)
        .send({ status });
      expect(decided.status).toBe(200);
    }

    const verified = await eventually(async () => {
      const found = await verification(laiyang);
      return found.valid ? found : undefined;
    });
    const [licence] = verified.licences;
    expect(licence).toMatchObject({
      creditCode: code,
      holderName: '莱西液冷食品有限公司',
      matterCode: 'ENT-FOOD-BIZ',
      issuingRegion: regions.names.laixi,
      registeredRegion: regions.names.laixi,
      status: 'valid',
      signatureValid: true,
      verdict: 'valid',
    });
    // Offline: the registry's public key of Laixi verifies the licence as Laiyang holds it.
    const registry = RegionRegistry.fromFile(regions.file);
    const key = registry.key(regions.names.laixi, licence.kid)!;
    expect(
      verify(
        null,
        licenceSigningInput(licence, regions.names.laixi),
        key.publicKey,
        Buffer.from(licence.signature, 'base64url'),
      ),
    ).toBe(true);
    expect(
      verify(
        null,
        licenceSigningInput({ ...licence, holderName: 'someone else' }, regions.names.laixi),
        key.publicKey,
        Buffer.from(licence.signature, 'base64url'),
      ),
    ).toBe(false);

    // Only the issuing city changes a licence.
    const elsewhere = await request(laiyang.url)
      .post(`/licences/${licence.licenceId}/revoke`)
      .set('Authorization', as(laiyang, 'case-officer'))
      .send({ reason: 'not ours' });
    expect(elsewhere.status).toBe(404);

    const suspended = await request(laixi.url)
      .post(`/licences/${licence.licenceId}/suspend`)
      .set('Authorization', officer)
      .send({ reason: 'inspection pending' });
    expect(suspended.status).toBe(200);
    await eventually(async () =>
      (await verification(laiyang)).licences[0].verdict === 'suspended' ? true : undefined,
    );

    const revoked = await request(laixi.url)
      .post(`/licences/${licence.licenceId}/revoke`)
      .set('Authorization', officer)
      .send({ reason: 'food safety inspection failed' });
    expect(revoked.status).toBe(200);
    const refused = await eventually(async () => {
      const found = await verification(laiyang);
      return found.licences[0].verdict === 'revoked' ? found : undefined;
    });
    expect(refused.valid).toBe(false);
    expect(refused.licences[0]).toMatchObject({ status: 'revoked', reason: 'food safety inspection failed' });

    const again = await request(laixi.url)
      .post(`/licences/${licence.licenceId}/reinstate`)
      .set('Authorization', officer)
      .send({});
    expect(again.status).toBe(409);

    const badCode = await request(laiyang.url)
      .get('/licences/91370285MA0000011X')
      .set('Authorization', as(laiyang, 'window-clerk'));
    expect(badCode.status).toBe(400);
    expect((badCode.body as { errors: { field: string }[] }).errors[0].field).toBe('creditCode');
  });
});
