/** The library options core's messages name, and the `adapipe` flag that sets each. */
const flagOfOption: Readonly<Record<string, string>> = { overwrite: '--force' };

/**
 * A core message in the CLI's terms: the hint "set overwrite: true" becomes "pass --force", so a
 * user of the command is told the flag and a library user the option.
 */
export function inCliTerms(message: string): string {
  return message.replace(/\bset (\w+): true\b/g, (hint, option: string) => {
    const flag = flagOfOption[option];
    return flag === undefined ? hint : `pass ${flag}`;
  });
}
