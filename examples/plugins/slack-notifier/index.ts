/**
 * An example nax plugin: a Slack-style notifier. Copy this folder to your
 * project's `nax/plugins/` (or `~/.nax/plugins/`) and give it a URL in
 * `nax/config.json`:
 *
 *   "plugins": { "settings": { "slack-notifier": { "url": "https://hooks.slack.com/services/…" } } }
 *
 * It is a reporter: for each event it listens to (by default the run's end,
 * a crash and a failed story) it POSTs `{"text": "…"}` (what Slack's incoming
 * webhooks take) to the URL. A failed POST throws: nax names the plugin in a
 * warning and the run goes on. The settings schema is a plain object with
 * `safeParse` (a zod schema works the same), so the plugin needs no packages.
 */
import type { NaxPlugin, PluginContext, PluginEvent } from "../../../src/plugins/types";

interface Settings {
  url: string;
  events: string[];
  /** Put in front of every message, e.g. the project's name. */
  prefix: string;
}

const DEFAULT_EVENTS = ["run:completed", "run:crashed", "story:failed"];

type Parsed =
  | { success: true; data: Settings }
  | { success: false; error: { issues: { path: string[]; message: string }[] } };

const settingsSchema = {
  safeParse(value: unknown): Parsed {
    const fail = (path: string, message: string): Parsed => ({
      success: false,
      error: { issues: [{ path: [path], message }] },
    });
    const input = (value ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!["url", "events", "prefix"].includes(key)) return fail(key, "unknown key (expected url, events, prefix)");
    }
    if (typeof input.url !== "string" || !/^https?:\/\//.test(input.url)) {
      return fail("url", "must be the http(s) URL to POST to");
    }
    const events = input.events ?? DEFAULT_EVENTS;
    if (!Array.isArray(events) || !events.every((e) => typeof e === "string")) {
      return fail("events", "must be a list of event types");
    }
    const prefix = input.prefix ?? "nax";
    if (typeof prefix !== "string") return fail("prefix", "must be a string");
    return { success: true, data: { url: input.url, events, prefix } };
  },
};

async function notify(event: PluginEvent, context: PluginContext): Promise<void> {
  const settings = context.settings as Settings;
  if (!settings.events.includes(event.type)) return;
  const response = await fetch(settings.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: `${settings.prefix}: ${event.message}`, event: event.type, runId: event.runId }),
    signal: context.signal,
  });
  if (!response.ok) throw new Error(`POST ${settings.url} answered ${response.status}`);
}

const plugin: NaxPlugin = {
  name: "slack-notifier",
  version: "1.0.0",
  configSchema: settingsSchema,
  reporter: { "*": notify },
};

export default plugin;
