/**
 * The prd.json that `nax features create` writes, and how a run recognises
 * it untouched: any story still carrying one of the template's placeholder
 * texts (title, description, an acceptance criterion) has not been edited,
 * and running it would spend agent sessions on the placeholder.
 */
import type { Prd, UserStory } from "./schema";

export const TEMPLATE_TEXT = {
  title: "Example: replace this story with your first one",
  description: "What the story delivers and why, in a few sentences the agent can act on.",
  acceptanceCriteria: ["A behaviour a test can check", "Another behaviour a test can check"],
} as const;

export function prdTemplate(project: string, feature: string, nowIso: string): Prd {
  return {
    project,
    feature,
    createdAt: nowIso,
    userStories: [
      {
        id: "US-001",
        title: TEMPLATE_TEXT.title,
        description: TEMPLATE_TEXT.description,
        acceptanceCriteria: [...TEMPLATE_TEXT.acceptanceCriteria],
        tags: [],
        dependencies: [],
        status: "pending",
        attempts: 0,
      },
    ],
  };
}

/** What older versions of `nax features create` wrote under the heading. */
const OLD_SPEC_PLACEHOLDER =
  "What this feature is for, who uses it, and the constraints the agent must respect.\nEach story in prd.json should be small enough for one agent session.";

/**
 * The spec.md body under `# <feature>`: the sections `nax plan` reads (plan/spec.ts). `## Files` lists
 * paths (one per `- ` line) whose content is shown to the planner; the guidance lines are not list items.
 */
const SPEC_BODY = `## Goal
What this feature is for and who uses it.

## Behaviour
Each behaviour a user can see, one per line, in words a test can check.
\`nax plan\` turns these into user stories with acceptance criteria (AC-1, AC-2...).

## Constraints
What the agent must respect: libraries, style, files or interfaces that must not change.

## Files
Files the planner should read, one per line as \`- path/inside/the/project\`.`;

export function specTemplate(feature: string): string {
  return `# ${feature}\n\n${SPEC_BODY}\n`;
}

/** spec.md as written by `nax features create` (any feature name, any version), or empty: nothing worth reading. */
export function isTemplateSpec(text: string): boolean {
  const body = text.replace(/^#[^\n]*\n/, "").trim();
  return body === "" || body === OLD_SPEC_PLACEHOLDER || body === SPEC_BODY;
}

/** The fields of a story that still hold template text, as `field` names; empty when it was edited. */
export function templateFieldsOf(story: Pick<UserStory, "title" | "description" | "acceptanceCriteria">): string[] {
  const fields: string[] = [];
  if (story.title.trim() === TEMPLATE_TEXT.title) fields.push("title");
  if (story.description.trim() === TEMPLATE_TEXT.description) fields.push("description");
  story.acceptanceCriteria.forEach((criterion, i) => {
    if ((TEMPLATE_TEXT.acceptanceCriteria as readonly string[]).includes(criterion.trim())) {
      fields.push(`acceptanceCriteria[${i}]`);
    }
  });
  return fields;
}
