import { createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { SignedCheckpointV1, keyInForce, signingKeyId } from '@app/contracts';

/** What a checkpoint states: a log's size and root at a time (milliseconds). */
export interface CheckpointFields {
  size: string;
  root: string;
  timestamp: string;
}

/** The checkpoint note body (C2SP tlog-checkpoint) with CT's timestamp as an extension line. */
export function checkpointBody(origin: string, fields: CheckpointFields): Buffer {
  const root = Buffer.from(fields.root, 'hex').toString('base64');
  return Buffer.from(
    `shuanglai.bus/ledger/${origin}\n${fields.size}\n${root}\ntimestamp ${fields.timestamp}\n`,
    'utf8',
  );
}

/** What a witness cosigns (C2SP tlog-cosignature): the time, then the checkpoint body. */
function cosignedMessage(origin: string, fields: CheckpointFields, cosignedAt: string): Buffer {
  return Buffer.concat([Buffer.from(`cosignature/v1\ntime ${cosignedAt}\n`, 'utf8'), checkpointBody(origin, fields)]);
}

/**
 * Signs this city's checkpoints and cosignatures with its Ed25519 region key (the one its events are signed with),
 * and verifies other cities' with the keys the region registry lists: the key the kid names, in force at the
 * checkpoint's time.
 */
@Injectable()
export class CheckpointSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;

  constructor(private readonly config: AppConfig) {
    this.privateKey = createPrivateKey({ key: Buffer.from(config.signingKey, 'base64'), format: 'der', type: 'pkcs8' });
    this.kid = signingKeyId(createPublicKey(this.privateKey));
  }

  sign(fields: CheckpointFields): SignedCheckpointV1 {
    const signature = sign(null, checkpointBody(this.config.region, fields), this.privateKey).toString('base64');
    return { ...fields, kid: this.kid, signature };
  }

  /** True when `origin`'s key named by the kid, in force at the checkpoint's time, signed it. */
  verify(origin: string, checkpoint: SignedCheckpointV1): boolean {
    return this.check(origin, checkpoint.kid, new Date(Number(checkpoint.timestamp)), (key) =>
      verify(null, checkpointBody(origin, checkpoint), key, Buffer.from(checkpoint.signature, 'base64')),
    );
  }

  cosign(
    origin: string,
    fields: CheckpointFields,
    nowMs: number,
  ): { cosignedAt: string; kid: string; signature: string } {
    const cosignedAt = String(Math.floor(nowMs / 1000));
    const signature = sign(null, cosignedMessage(origin, fields, cosignedAt), this.privateKey).toString('base64');
    return { cosignedAt, kid: this.kid, signature };
  }

  verifyCosignature(
    witness: string,
    origin: string,
    cosignature: CheckpointFields & { cosignedAt: string; kid: string; signature: string },
  ): boolean {
    return this.check(witness, cosignature.kid, new Date(Number(cosignature.cosignedAt) * 1000), (key) =>
      verify(
        null,
        cosignedMessage(origin, cosignature, cosignature.cosignedAt),
        key,
        Buffer.from(cosignature.signature, 'base64'),
      ),
    );
  }

  private check(region: string, kid: string, at: Date, verifyWith: (key: KeyObject) => boolean): boolean {
    if (!this.config.registry.has(region)) return false;
    const key = this.config.registry.key(region, kid);
    if (!key || !keyInForce(key, at)) return false;
    try {
      return verifyWith(key.publicKey);
    } catch {
      return false;
    }
  }
}
