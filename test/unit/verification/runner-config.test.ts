import { afterEach, describe, expect, test } from "bun:test";
import { createNodeFs } from "../../../src/system/fs";
import { configBoundReason } from "../../../src/verification/runner-config";
import { type ReadCommand, readTestCommand } from "../../../src/verification/scoped-command";
import { createTempTrees } from "./temp-tree";

const trees = createTempTrees("nax-runner-config-");
afterEach(() => trees.cleanup());

function read(command: string): ReadCommand {
  const reading = readTestCommand(command);
  if (!reading.ok) throw new Error(reading.reason);
  return reading.read;
}

async function reasonFor(files: Record<string, string>, command: string) {
  return configBoundReason(createNodeFs(), await trees.make(files), read(command));
}

describe("runner config that changes what a scoped command means (trap 33)", () => {
  test("pytest testpaths stop scoping a command that names no path, and say where to put the paths", async () => {
    const reason = await reasonFor({ "pytest.ini": "[pytest]\ntestpaths = tests\n" }, "pytest -q");
    expect(reason).toContain("pytest.ini sets testpaths");
    expect(await reasonFor({ "pytest.ini": "[pytest]\ntestpaths = tests\n" }, "pytest -q tests/")).toBeUndefined();
  });

  test("pytest addopts ending in a flag with an optional value stop scoping: it would take the file", async () => {
    const ini = "[pytest]\naddopts = -ra --cov\n";
    expect(await reasonFor({ "pytest.ini": ini }, "pytest")).toBe(
      'addopts in pytest.ini ends with "--cov", which could take the file nax adds as its value',
    );
  });

  test("pytest addopts are read from a pyproject list and a quoted string like the command's own words", async () => {
    const list = '[tool.pytest.ini_options]\naddopts = ["-ra", "--log-cli-level", "INFO"]\n';
    expect(await reasonFor({ "pyproject.toml": list }, "pytest tests/")).toBeUndefined();
    const unknown = '[tool.pytest.ini_options]\naddopts = "--my-flag value"\n';
    expect(await reasonFor({ "pyproject.toml": unknown }, "pytest tests/")).toContain(
      'addopts in pyproject.toml: cannot tell whether "value" is the value of "--my-flag"',
    );
    const paths = "[pytest]\naddopts = -q tests\n";
    expect(await reasonFor({ "tox.ini": paths }, "pytest")).toBe("addopts in tox.ini names test paths of its own");
  });

  test("pytest addopts continued on indented lines are not guessed at", async () => {
    const ini = "[pytest]\naddopts =\n    --cov\n    -q\n";
    expect(await reasonFor({ "pytest.ini": ini }, "pytest tests/")).toBe(
      "nax cannot read the addopts in pytest.ini for sure",
    );
  });

  test("a bunfig test root stops scoping a bun command that names no path", async () => {
    const bunfig = { "bunfig.toml": '[test]\nroot = "./spec"\n' };
    expect(await reasonFor(bunfig, "bun test")).toContain("bunfig.toml sets a test root");
    expect(await reasonFor(bunfig, "bun test ./spec")).toBeUndefined();
  });
});
