/**
 * The scripts a domain label may be written in: the Recommended scripts of UTS #31 (Table 5),
 * the scripts in modern use that browsers and registries accept in domain names. Which script a
 * character belongs to is the platform's Unicode data (`\p{Script_Extensions=…}`), never a table
 * of characters kept here.
 */
const recommendedScripts = [
  'Arab',
  'Armn',
  'Beng',
  'Bopo',
  'Cyrl',
  'Deva',
  'Ethi',
  'Geor',
  'Grek',
  'Gujr',
  'Guru',
  'Hang',
  'Hani',
  'Hebr',
  'Hira',
  'Kana',
  'Khmr',
  'Knda',
  'Laoo',
  'Latn',
  'Mlym',
  'Mymr',
  'Orya',
  'Sinh',
  'Taml',
  'Telu',
  'Thaa',
  'Thai',
  'Tibt',
] as const;

/**
 * The script sets a single-script label may draw from (UTS #39 §5.1, resolved script sets): each
 * Recommended script alone, and the writing systems that mix scripts by nature: Japanese
 * (Han + Hiragana + Katakana), Korean (Han + Hangul) and Chinese with Bopomofo (Han + Bopomofo).
 * Common characters (digits, the hyphen) and Inherited ones (combining marks) go with any of
 * them; a character whose Script_Extensions lists several scripts (`ー`: Hiragana, Katakana)
 * goes with each of those.
 */
const writingSystems: readonly (readonly string[])[] = [
  ...recommendedScripts.map((script) => [script]),
  ['Hani', 'Hira', 'Kana'],
  ['Hani', 'Hang'],
  ['Hani', 'Bopo'],
];

function onlyFrom(scripts: readonly string[]): RegExp {
  const classes = ['Zyyy', 'Zinh', ...scripts].map((script) => `\\p{Script_Extensions=${script}}`);
  return new RegExp(`^[${classes.join('')}]*$`, 'u');
}

const recommendedOnly = onlyFrom(recommendedScripts);
const singleSystem = writingSystems.map(onlyFrom);

/**
 * Checks one domain label against the mixed-script rule of UTS #39: `mixed` when no single
 * writing system above holds all its characters (`еxаmрlе`: Cyrillic `е а р` with Latin `x m l`),
 * `unsupported` when a character belongs to none of the Recommended scripts (historic and
 * limited-use scripts), else undefined.
 *
 * Does NOT detect whole-script look-alikes (an all-Cyrillic `аррӏе` passes: that needs the
 * confusables data of UTS #39), and does not look across labels (`пример.com` passes).
 */
export function scriptProblem(label: string): 'mixed' | 'unsupported' | undefined {
  if (!recommendedOnly.test(label)) return 'unsupported';
  return singleSystem.some((pattern) => pattern.test(label)) ? undefined : 'mixed';
}
