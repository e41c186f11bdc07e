import { Module } from '@nestjs/common';
import { ConsentService } from './consent.service';

/** Import it and add CONSENT_MIGRATIONS to the service's migrations. */
@Module({ providers: [ConsentService], exports: [ConsentService] })
export class ConsentModule {}
