/**
 * What a name search compares: the name in NFKC with its letters in lower case, so `name:bilbo*`
 * finds "Bilbo Baggins" and a full-width or decomposed name is found as typed. Computed here (not
 * in SQL, whose `lower()` differs between SQLite and PostgreSQL) and stored beside the name, where
 * an index serves exact and prefix searches.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}
