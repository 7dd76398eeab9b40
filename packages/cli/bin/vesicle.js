#!/usr/bin/env node
// The installed entry point; the CLI itself is TypeScript compiled to dist/.
import { main } from "../dist/main.js";

process.exitCode = await main(process.argv.slice(2));
