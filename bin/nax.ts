#!/usr/bin/env bun
import { main } from "../src/cli/main";

await main(process.argv);
