// What `gradlint` runs (bin/gradlint.js): the command line bundle, loaded through a V8 code
// cache in the user's cache folder, so that every run after the first compiles far less.
import * as os from 'os';
import * as path from 'path';
import { loadWithCodeCache } from '../codeCache';

const cacheHome = process.env.XDG_CACHE_HOME || (process.platform === 'win32' && process.env.LOCALAPPDATA) || path.join(os.homedir(), '.cache');
loadWithCodeCache(path.join(__dirname, 'cli.js'), path.join(cacheHome, 'gradlint'));
