import { Provider } from '@nestjs/common';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';

/** The keyed pseudonym every city computes alike from a resident ID: the only name of a person on the bus. */
export const pseudonymizerProvider: Provider = {
  provide: Pseudonymizer,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => new Pseudonymizer(config.pseudonymSecret),
};
