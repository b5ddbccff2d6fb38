import mjml2html from 'mjml';

export type MjmlProblem = { line: number; message: string; tagName: string };

/** Compiles MJML to responsive HTML; problems are reported, never thrown, unless parsing fails. */
export async function compileMjml(
  source: string,
): Promise<{ html: string; problems: MjmlProblem[] }> {
  const result = await mjml2html(source, {
    validationLevel: 'soft',
    // mj-include reads files on the server: never for templates written in the app.
    ignoreIncludes: true,
    keepComments: true,
    minify: false,
    beautify: false,
  });
  return {
    html: result.html,
    problems: result.errors.map(({ line, message, tagName }) => ({ line, message, tagName })),
  };
}

/** Rephrases an mjml validator message for a marketer. */
export function describeMjmlProblem(problem: MjmlProblem): string {
  const unknown = /^Element (\S+) doesn't exist or is not registered/.exec(problem.message);
  if (unknown) return `Unknown element <${unknown[1]}>`;
  const attribute = /^Attribute (\S+) has invalid value: (.*?) for type (\w+)(.*)$/.exec(
    problem.message,
  );
  if (attribute) {
    const [, name, value, type, rest] = attribute;
    const hint = rest?.trim() ? ` (${rest.trim().replace(/^,\s*/, '')})` : '';
    return `<${problem.tagName}> ${name}="${value}" is not a valid ${(type ?? 'value').toLowerCase()}${hint}`;
  }
  const illegal = /^Attribute (\S+) is illegal/.exec(problem.message);
  if (illegal) return `<${problem.tagName}> has no attribute "${illegal[1]}"`;
  return `<${problem.tagName}>: ${problem.message.trim()}`;
}
