import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Used by `npm run migration:*` against DATABASE_URL. */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is required for the TypeORM CLI');
}
export default new DataSource(dataSourceOptions(url));
