/**
 * The run's Interaction, built from `interaction` in config: the answers
 * file channel always (so `nax answer` works whatever else is chosen), then
 * each configured channel that can work (`cli` only on a terminal, `webhook`
 * with a URL and its secret, `telegram` with a token and a chat). Nothing is
 * built when no trigger is enabled: a run that asks nothing has no channels,
 * servers or pollers. A channel that cannot work is named in a warning.
 */
import type { NaxConfig } from "../config/schema";
import type { EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import { type Fetch, serveLoopback } from "../system/http";
import type { Sys } from "../system/sys";
import type { TerminalInput } from "../system/terminal-input";
import { answersPath, createAnswerFileChannel } from "./answer-file";
import { createAutoChannel } from "./channels/auto";
import { createCliChannel } from "./channels/cli";
import { createTelegramChannel } from "./channels/telegram";
import { botDir, createBotShare } from "./channels/telegram-shared";
import { createWebhookChannel } from "./channels/webhook";
import { createVerifier } from "./channels/webhook-sign";
import { createInteraction, type Interaction } from "./interaction";
import type { Channel } from "./question";

export interface BuildInteractionInput {
  config: NaxConfig;
  sys: Sys;
  bus: EventBus;
  logger: Logger;
  runId: string;
  feature: string;
  runsDir: string;
  signal: AbortSignal;
  fetch: Fetch;
  terminal?: TerminalInput;
  write(text: string): void;
}

export function interactionWanted(config: NaxConfig): boolean {
  const t = config.interaction.triggers;
  return t.costShare !== undefined || t.tiersExhausted || t.securityReview || t.mergeConflict;
}

function buildChannels(input: BuildInteractionInput, path: string): Channel[] {
  const { config, sys, logger } = input;
  const { webhook, telegram, auto } = config.interaction;
  const channels: Channel[] = [createAnswerFileChannel({ fs: sys.fs, clock: sys.clock, path })];
  for (const name of new Set(config.interaction.channels)) {
    if (name === "auto") channels.push(createAutoChannel(auto.answers));
    if (name === "cli") {
      const cli = input.terminal ? createCliChannel({ input: input.terminal, write: input.write }) : undefined;
      if (cli) channels.push(cli);
      else logger.info("interaction: the cli channel is off (stdin is not a terminal); `nax answer` still works");
    }
    if (name === "webhook") {
      const secret = sys.env[webhook.secretEnv];
      if (!webhook.url || !secret) {
        logger.warn(
          `interaction: the webhook channel needs interaction.webhook.url and $${webhook.secretEnv}; it is off`,
        );
        continue;
      }
      channels.push(
        createWebhookChannel({
          url: webhook.url,
          secret,
          fetch: input.fetch,
          nowMs: () => sys.clock.now(),
          uuid: sys.uuid,
          logger,
          verifier: createVerifier({ secret, maxSkewSeconds: webhook.maxSkewSeconds, nowMs: () => sys.clock.now() }),
          serve: (handle) => serveLoopback(webhook.callbackPort, handle),
        }),
      );
    }
    if (name === "telegram") {
      const token = sys.env[telegram.tokenEnv];
      if (!token || telegram.chatId === undefined) {
        logger.warn(
          `interaction: the telegram channel needs $${telegram.tokenEnv} and interaction.telegram.chatId; it is off`,
        );
        continue;
      }
      const me = { pid: sys.pid, hostname: sys.hostname, runId: input.runId };
      channels.push(
        createTelegramChannel({
          apiBaseUrl: telegram.apiBaseUrl.replace(/\/$/, ""),
          token,
          chatId: telegram.chatId,
          allowedUserIds: telegram.allowedUserIds,
          pollSeconds: telegram.pollSeconds,
          fetch: input.fetch,
          fs: sys.fs,
          clock: sys.clock,
          logger,
          share: createBotShare({ fs: sys.fs, dir: botDir(sys.naxHome, token), isPidAlive: sys.isPidAlive, me }),
          answersPath: path,
          runId: input.runId,
        }),
      );
    }
  }
  return channels;
}

export function buildInteraction(input: BuildInteractionInput): Interaction | undefined {
  if (!interactionWanted(input.config) && input.config.interaction.channels.length === 0) return undefined;
  const path = answersPath(input.runsDir, input.runId);
  return createInteraction({
    bus: input.bus,
    clock: input.sys.clock,
    logger: input.logger,
    uuid: input.sys.uuid,
    runId: input.runId,
    feature: input.feature,
    timeoutSeconds: input.config.interaction.timeoutSeconds,
    channels: buildChannels(input, path),
    signal: input.signal,
  });
}
