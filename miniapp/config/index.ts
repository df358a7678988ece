import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

/**
 * Hand-written Taro config (no `taro init`).
 * - weapp → dist/weapp, h5 → dist/h5 (they never overwrite each other).
 * - `@ce/types` is consumed as TypeScript source, so its folder is compiled by Taro's babel pipeline.
 * - API base: H5 calls its own origin (''); weapp uses TARO_APP_API_BASE, fixed at build time.
 */
const typesSrc = path.resolve(__dirname, '../../types');
/** zod and the shared contracts (`@ce/types`): the H5 build keeps them in one chunk that every page shares. */
function isSchemaModule(resource: string | undefined): boolean {
  return !!resource && (/[\\/]node_modules[\\/]zod[\\/]/.test(resource) || resource.startsWith(typesSrc + path.sep));
}
const apiBase = process.env.TARO_APP_API_BASE || 'http://127.0.0.1:3000';

export default defineConfig<'webpack5'>(() => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'ce-miniapp',
    date: '2025-11-20',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV || 'weapp'}`,
    plugins: [],
    env: {
      TARO_APP_API_BASE: JSON.stringify(apiBase),
    },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [typesSrc] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      optimizeMainPackage: { enable: true },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [typesSrc] },
      webpackChain(chain) {
        // Pages load as separate chunks and Taro splits only the initial ones: without these groups each page
        // chunk carried its own copy of zod, the shared contracts, the API client and the shared components.
        const splitChunks = chain.optimization.get('splitChunks');
        chain.optimization.splitChunks({
          ...splitChunks,
          cacheGroups: {
            ...splitChunks.cacheGroups,
            schemas: {
              name: 'schemas',
              chunks: 'all',
              test: (module: { resource?: string }) => isSchemaModule(module.resource),
              priority: 200,
              enforce: true,
            },
            pageCommon: { name: 'page-common', chunks: 'async', minChunks: 2, priority: 50, reuseExistingChunk: true },
          },
        });
      },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
  return config;
});
