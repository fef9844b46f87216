/** One dragon of the article's list. */
export interface Dragon {
  name: string;
  /** The story the dragon comes from. */
  origin: string;
  description: string;
}

/** The six dragons the article's API serves. */
export const dragons: readonly Dragon[] = Object.freeze([
  {
    name: 'Drogon',
    origin: 'A Song of Ice and Fire',
    description:
      "The largest of Daenerys Targaryen's three dragons, black and red, named for her late husband Khal Drogo.",
  },
  {
    name: 'Viserion',
    origin: 'A Song of Ice and Fire',
    description: "Cream and gold, the gentlest of Daenerys's dragons, named for her brother Viserys.",
  },
  {
    name: 'Rhaegal',
    origin: 'A Song of Ice and Fire',
    description: "Green and bronze, named for Daenerys's eldest brother, Rhaegar.",
  },
  {
    name: 'Falkor',
    origin: 'The Neverending Story',
    description:
      'A white luckdragon who flies without wings and carries Atreyu across Fantastica, sure that luck is on his side.',
  },
  {
    name: 'Smaug',
    origin: 'The Hobbit',
    description:
      'The last great fire-drake of Middle-earth, asleep on the treasure of the Lonely Mountain until a burglar named Bilbo Baggins calls.',
  },
  {
    name: 'Puff',
    origin: 'Peter, Paul and Mary',
    description:
      'The magic dragon who lived by the sea and frolicked in the autumn mist in a land called Honah Lee, with little Jackie Paper.',
  },
]);
