import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { parseWorkerJob } from "../../../src/worker/job";

const EXAMPLES = join(import.meta.dir, "../../../docs/examples");
const yaml = async (name: string) => Bun.YAML.parse(await Bun.file(join(EXAMPLES, name)).text());

interface K8sDoc {
  kind: string;
  data?: Record<string, string>;
  spec?: { backoffLimit: number; template: { spec: { containers: { env: Record<string, unknown>[] }[] } } };
}

describe("the worker examples in docs/examples", () => {
  test("the Kubernetes manifest's job is a valid job, and its credentials come from a Secret, never as values", async () => {
    const docs = (await yaml("nax-worker.k8s-job.yaml")) as K8sDoc[];
    const configMap = docs.find((d) => d.kind === "ConfigMap");
    const job = parseWorkerJob(configMap?.data?.["job.json"] ?? "", "nax-worker.k8s-job.yaml");
    expect(job.credentials).toEqual(["ANTHROPIC_API_KEY"]);
    const k8sJob = docs.find((d) => d.kind === "Job");
    expect(k8sJob?.spec?.backoffLimit).toBe(0);
    const env = k8sJob?.spec?.template.spec.containers[0]?.env ?? [];
    for (const name of ["ANTHROPIC_API_KEY", "GIT_TOKEN"]) {
      const entry = env.find((e) => e.name === name);
      expect(entry?.value).toBeUndefined();
      expect(entry?.valueFrom).toMatchObject({ secretKeyRef: { name: "nax-worker-credentials" } });
    }
  });

  test("the GitHub Actions workflow takes the job as a workflow_dispatch input and runs nax worker on it", async () => {
    const workflow = (await yaml("nax-worker.github-workflow.yml")) as {
      on: { workflow_dispatch: { inputs: { job: { required: boolean } } } };
      permissions: Record<string, string>;
      jobs: { story: { steps: { run?: string; env?: Record<string, string> }[] } };
    };
    expect(workflow.on.workflow_dispatch.inputs.job.required).toBe(true);
    expect(workflow.permissions.contents).toBe("write");
    const steps = workflow.jobs.story.steps;
    // The untrusted input reaches the shell through the environment only (`${{ … }}` is GitHub's expression syntax).
    const expression = (text: string) => `\${{ ${text} }}`;
    expect(steps.some((s) => s.env?.JOB === expression("inputs.job"))).toBe(true);
    expect(steps.some((s) => s.run?.includes("$" + "{{"))).toBe(false);
    expect(steps.some((s) => s.run?.includes('nax worker "$RUNNER_TEMP/job.json"'))).toBe(true);
  });
});
