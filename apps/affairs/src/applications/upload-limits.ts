import { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { MAX_MATERIALS } from '@app/contracts';
import { MAX_MATERIAL_BYTES } from '../catalogue/matter-catalogue';

/** Every part of a multipart application bounded; files kept in memory (multer's default storage). */
export const UPLOAD_LIMITS: MulterOptions = {
  limits: {
    fileSize: MAX_MATERIAL_BYTES,
    files: MAX_MATERIALS,
    fields: 2,
    fieldSize: 64 * 1024,
    parts: MAX_MATERIALS + 2,
  },
};
