/** Public queries anyone may make (certificate validity by name + ID number + category). */
export { publicQueryRoutes } from './routes';
