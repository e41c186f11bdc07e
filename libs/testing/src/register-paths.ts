import { loadConfig, register } from 'tsconfig-paths';

// Jest loads the global setup and teardown outside its module mapper: the @app/* aliases are registered here, from
// tsconfig.json, before they import anything through them (import this module first).
const config = loadConfig(__dirname);
if (config.resultType === 'failed') throw new Error(`tsconfig paths: ${config.message}`);
register({ baseUrl: config.absoluteBaseUrl, paths: config.paths });
