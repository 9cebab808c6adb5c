/**
 * Tier names are checked against `models` once the layers are merged:
 * routing and escalation may only name a tier that `models` defines (a typo
 * such as "turbo" or "fats" would otherwise run the model literally named
 * so), and a `models` tier that nothing uses and that is one typo away from
 * a used tier (`powerfull`) is the typo. Each problem names the file that
 * set the field. Pure.
 */
import { closestName } from "../utils/did-you-mean";
import { formatIssuePath } from "../utils/zod-issues";
import type { NaxConfig } from "./schema";

/** The tiers the defaults use: a misspelt one of these in `models` is a typo even when the user's config renames them all. */
const DEFAULT_TIERS = ["fast", "balanced", "powerful"];

/** Which layer set a path (`defaults` when none did). */
export type SourceOf = (path: ReadonlyArray<string | number>) => string;

interface TierUse {
  path: Array<string | number>;
  tier: string;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(", ");

function tierUses(config: NaxConfig): TierUse[] {
  const uses: TierUse[] = [];
  for (const [complexity, tier] of Object.entries(config.autoMode.complexityRouting)) {
    uses.push({ path: ["autoMode", "complexityRouting", complexity], tier });
  }
  config.autoMode.escalation.tierOrder.forEach((rung, i) => {
    uses.push({ path: ["autoMode", "escalation", "tierOrder", i, "tier"], tier: rung.tier });
  });
  uses.push({ path: ["routing", "llm", "model"], tier: config.routing.llm.model });
  return uses;
}

export function findTierProblems(config: NaxConfig, sourceOf: SourceOf): string[] {
  const defined = Object.keys(config.models);
  const problems: string[] = [];
  const uses = tierUses(config);
  for (const use of uses) {
    if (defined.includes(use.tier)) continue;
    const field = formatIssuePath(use.path);
    const source = sourceOf(use.path);
    if (source === "defaults") {
      problems.push(
        `${sourceOf(["models"])}: models: no tier "${use.tier}", which ${field} uses by default; add "${use.tier}" to models or set ${field} to one of ${quoted(defined)}`,
      );
      continue;
    }
    const match = closestName(use.tier, defined);
    const hint = match ? `did you mean "${match}"?` : `use one of ${quoted(defined)}`;
    problems.push(
      `${source}: ${field}: "${use.tier}" is not a tier in models; ${hint} (or add "${use.tier}" to models)`,
    );
  }
  const used = new Set(uses.map((u) => u.tier));
  for (const tier of defined) {
    if (used.has(tier)) continue;
    const match = closestName(tier, new Set([...used, ...DEFAULT_TIERS]));
    if (match === undefined) continue;
    problems.push(
      `${sourceOf(["models", tier])}: models.${tier}: no routing or tierOrder uses tier "${tier}"; did you mean "${match}"?`,
    );
  }
  return problems;
}
