import { KeyObject, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SealedBox, encryptionPrivateKey, open, seal } from '@app/bus';
import { AppConfig, ConfigError } from '@app/config';
import { AffairsConfig } from '../affairs.config';

/**
 * This region's encryption key pair and its peers' public keys (the registry's `encryptionKey`): what is sealed to a
 * peer only that peer opens. Checked at start-up: this node's key must be the one the registry lists for it, and
 * every region must list one, else applications to it could never be sent.
 */
export class RegionEncryption {
  constructor(
    private readonly config: AppConfig,
    private readonly privateKey: KeyObject,
  ) {}

  static load(config: AppConfig, affairs: AffairsConfig, cwd = process.cwd()): RegionEncryption {
    const { region, registry } = config;
    let encoded = affairs.REGION_ENCRYPTION_KEY;
    if (affairs.REGION_ENCRYPTION_KEY_FILE !== undefined) {
      if (encoded !== undefined)
        throw new ConfigError('set REGION_ENCRYPTION_KEY or REGION_ENCRYPTION_KEY_FILE, not both');
      try {
        encoded = readFileSync(resolve(cwd, affairs.REGION_ENCRYPTION_KEY_FILE), 'utf8').replace(/\r?\n$/, '');
      } catch {
        throw new ConfigError(`REGION_ENCRYPTION_KEY_FILE: cannot read ${affairs.REGION_ENCRYPTION_KEY_FILE}`);
      }
    }
    if (encoded === undefined) {
      if (config.environment === 'production') {
        throw new ConfigError("REGION_ENCRYPTION_KEY is required in production: the region's X25519 private key");
      }
      const path = join(cwd, 'config', 'dev-keys', `${region}.x25519`);
      try {
        encoded = readFileSync(path, 'utf8').trim();
      } catch {
        throw new ConfigError(`REGION_ENCRYPTION_KEY is not set and ${path} cannot be read`);
      }
    }
    let privateKey: KeyObject;
    try {
      privateKey = encryptionPrivateKey(encoded);
    } catch (error) {
      throw new ConfigError(
        `REGION_ENCRYPTION_KEY must be an X25519 private key, PKCS#8 DER in base64 (${(error as Error).message})`,
      );
    }
    for (const name of registry.names) {
      if (!registry.encryptionKey(name)) {
        throw new ConfigError(`REGIONS_FILE: region ${name} has no encryptionKey, so no application can reach it`);
      }
    }
    const listed = registry.encryptionKey(region)!;
    if (!createPublicKey(privateKey).equals(listed)) {
      throw new ConfigError(`REGION_ENCRYPTION_KEY is not the key the registry lists as ${region}'s encryptionKey`);
    }
    return new RegionEncryption(config, privateKey);
  }

  sealFor(region: string, plaintext: Buffer, context: string): SealedBox {
    return seal(this.config.registry.encryptionKey(region)!, plaintext, context);
  }

  open(box: SealedBox, context: string): Buffer {
    return open(this.privateKey, box, context);
  }
}
