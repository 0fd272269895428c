#!/usr/bin/env node
// The CLI is compiled TypeScript: `npm install` (prepare) or `npm run build` fills dist/.
import '../dist/cli/main.js';
