import { stopTestInfra } from './test-infra';

export default async function globalTeardown(): Promise<void> {
  await stopTestInfra();
}
