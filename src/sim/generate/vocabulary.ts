// Word lists for the generated library. Genres, styles and moods follow the AllMusic-style vocabulary that
// Plex's music agent assigns; names and titles are invented but include the diacritics, punctuation and
// brackets that break naive normalisation.

export interface GenreFamily {
  genre: string;
  styles: readonly string[];
  /** First year the genre plausibly appears in the library. */
  from: number;
  /** Typical track length in seconds (mean). */
  trackSeconds: number;
}

export const GENRES: readonly GenreFamily[] = [
  { genre: 'Pop/Rock', from: 1955, trackSeconds: 225, styles: ['Indie Rock', 'Alternative Pop/Rock', 'Hard Rock', 'Britpop', 'Post-Punk', 'Dream Pop', 'Shoegaze', 'Singer/Songwriter', 'Psychedelic', 'Prog-Rock', 'Heavy Metal', 'Synth-Pop', 'New Wave', 'Garage Rock', "Rock & Roll"] },
  { genre: 'Electronic', from: 1975, trackSeconds: 300, styles: ['House', 'Techno', 'Ambient', 'IDM', "Drum'n'Bass", 'Trip-Hop', 'Downtempo', 'Electro', 'Club/Dance'] },
  { genre: 'Jazz', from: 1955, trackSeconds: 360, styles: ['Bebop', 'Hard Bop', 'Cool', 'Fusion', 'Modal Music', 'Post-Bop', 'Vocal Jazz', 'Soul-Jazz'] },
  { genre: 'R&B', from: 1958, trackSeconds: 235, styles: ['Soul', 'Funk', 'Neo-Soul', 'Contemporary R&B', 'Motown', 'Quiet Storm', 'Disco'] },
  { genre: 'Rap', from: 1982, trackSeconds: 230, styles: ['Hardcore Rap', 'Alternative Rap', 'East Coast Rap', 'West Coast Rap', 'Trap (Rap)', 'Jazz-Rap', 'Underground Rap'] },
  { genre: 'Folk', from: 1958, trackSeconds: 215, styles: ['Contemporary Folk', 'Folk-Rock', 'Traditional Folk', 'Americana', 'Chamber Folk'] },
  { genre: 'Country', from: 1955, trackSeconds: 200, styles: ['Alt-Country', 'Outlaw Country', 'Honky Tonk', 'Bluegrass', 'Country-Pop'] },
  { genre: 'Blues', from: 1955, trackSeconds: 250, styles: ['Chicago Blues', 'Delta Blues', 'Electric Blues', 'Blues-Rock'] },
  { genre: 'Classical', from: 1955, trackSeconds: 420, styles: ['Baroque', 'Romantic', 'Chamber Music', 'Symphony', 'Minimalism'] },
  { genre: 'Reggae', from: 1968, trackSeconds: 240, styles: ['Roots Reggae', 'Dub', 'Dancehall', 'Ska'] },
  { genre: 'Latin', from: 1958, trackSeconds: 230, styles: ['Bossa Nova', 'Salsa', 'Tango', 'Cumbia', 'Latin Pop'] },
  { genre: 'International', from: 1960, trackSeconds: 250, styles: ['Afrobeat', 'Chanson', 'Fado', 'Highlife', 'J-Pop', 'K-Pop'] },
];

/** Relative frequency of each genre family in GENRES order (a typical personal library leans rock). */
export const GENRE_WEIGHTS: readonly number[] = [30, 10, 8, 8, 7, 6, 5, 4, 3, 3, 3, 3];

export const MOODS: readonly string[] = [
  'Mellow', 'Energetic', 'Melancholy', 'Brooding', 'Confident', 'Playful', 'Rousing', 'Reflective', 'Warm',
  'Gritty', 'Dreamy', 'Aggressive', 'Bittersweet', 'Laid-Back/Mellow', 'Sentimental', 'Yearning', 'Passionate',
  'Sophisticated', 'Intimate', 'Hypnotic', 'Ethereal', 'Rebellious', 'Wistful', 'Cathartic', 'Uplifting',
  'Tense/Anxious', 'Romantic', 'Elegant', 'Gloomy', 'Joyous', 'Swaggering', 'Stylish', 'Earnest', 'Whimsical',
  'Lively', 'Nocturnal', 'Atmospheric', 'Fiery', 'Hedonistic', 'Soothing',
];

export const FIRST_NAMES: readonly string[] = [
  'Ada', 'Björn', 'Chloé', 'Dmitri', 'Elif', 'Fionn', 'Greta', 'Hélène', 'Ivo', 'Jonas', 'Kai', 'Lúcia', 'Marta',
  'Nils', 'Oona', 'Pedro', 'Quinn', 'Rosalía', 'Søren', 'Tomás', 'Ulla', 'Vera', 'Wes', 'Xavier', 'Yara', 'Zoë',
  'Amélie', 'Bruno', 'Cass', 'Dolores', 'Emil', 'Frankie', 'Gus', 'Hana', 'Inés', 'Jules', 'Kofi', 'Lena', 'Miles',
  'Nadia', 'Otis', 'Paloma', 'Rufus', 'Sigrún', 'Theo', 'Uma', 'Viggo', 'Wanda', 'Yusuf', 'Zeki',
];

export const LAST_NAMES: readonly string[] = [
  'Abernathy', 'Brandão', 'Castellanos', 'Duval', 'Eriksson', 'Faulkner', 'García', 'Holloway', 'Ibsen', 'Jovanović',
  'Kowalski', 'Lindqvist', 'Mendoza', 'Núñez', "O'Connell", 'Petrović', 'Quartermaine', 'Rasmussen', 'Sørensen',
  'Takahashi', 'Ullmann', 'Valdés', 'Whitfield', 'Yılmaz', 'Zelenko', 'Ólafsdóttir', 'Müller', 'Björklund',
  'Delacroix', 'Fontaine', 'Gutiérrez', 'Haas', 'Kaminski', 'Lefèvre', 'Moreau', 'Novák', 'Okafor', 'Price',
];

export const BAND_ADJECTIVES: readonly string[] = [
  'Velvet', 'Silent', 'Electric', 'Crimson', 'Hollow', 'Golden', 'Wandering', 'Broken', 'Neon', 'Paper', 'Midnight',
  'Burning', 'Frozen', 'Lonesome', 'Radiant', 'Savage', 'Gentle', 'Cosmic', 'Rusty', 'Wild', 'Naïve', 'Über',
];

export const BAND_NOUNS: readonly string[] = [
  'Owls', 'Engines', 'Tigers', 'Lanterns', 'Saints', 'Harbors', 'Ghosts', 'Foxes', 'Satellites', 'Comets', 'Rivers',
  'Mirrors', 'Wolves', 'Orchids', 'Machines', 'Sparrows', 'Kings', 'Pilots', 'Shadows', 'Strangers', 'Cowboys',
];

export const TITLE_ADJECTIVES: readonly string[] = [
  'Blue', 'Lonely', 'Golden', 'Quiet', 'Restless', 'Sweet', 'Cold', 'Electric', 'Endless', 'Secret', 'Broken',
  'Wild', 'Summer', 'Midnight', 'Little', 'Burning', 'Faded', 'Holy', 'Distant', 'Strange', 'Silver', 'Tender',
];

export const TITLE_NOUNS: readonly string[] = [
  'Heart', 'River', 'Highway', 'Morning', 'Window', 'Fire', 'Rain', 'Garden', 'Train', 'Dream', 'Ocean', 'City',
  'Letter', 'Mountain', 'Shadow', 'Song', 'Sky', 'Road', 'Lover', 'Moon', 'Island', 'Mirror', 'Ghost', 'Angel',
  'Café', 'Façade', 'Señorita', 'Fiesta', 'Déjà Vu', 'Mañana', 'Soirée', 'Göteborg', 'Zürich',
];

export const TITLE_VERBS: readonly string[] = [
  'Hold', 'Chase', 'Remember', 'Leave', 'Follow', 'Burn', 'Save', 'Kiss', 'Run', 'Dance', 'Wait', 'Call', 'Break',
  'Find', 'Forget', 'Carry', 'Light',
];

export const VENUES: readonly string[] = [
  'the Fillmore', 'Budokan', 'the Royal Albert Hall', 'Red Rocks', 'the Paradiso', "Ronnie Scott's",
  'the Olympia, Paris', 'Montreux', 'the Roundhouse', 'Carnegie Hall', 'the Troubadour', 'Café Wha?',
];

/** Bracketed suffixes seen on real track titles; none of them may count as a twin candidate. */
export const TRACK_SUFFIXES: readonly string[] = [
  '(Radio Edit)', '(feat. Zoë Marlowe)', '(Acoustic)', '[Bonus Track]', '(Single Version)', '(Mono)', '(Demo)',
  '(Extended Mix)', '(Live)',
];

export const SHORT_TRACK_TITLES: readonly string[] = [
  'Intro', 'Outro', 'Interlude', 'Skit', 'Interlude II', 'Intro (Reprise)', 'Interview', 'Applause', 'Commentary',
];

export const COMPILATION_TITLES: readonly string[] = [
  'Now That’s What I Call Music!', 'Café del Mar', 'The Sound of the ’80s', 'Summer Hits', 'Late Night Tales',
  'Road Trip Classics', 'Indie Anthems', 'Soul Survivors', 'Chill Out Sessions', 'Après-Ski Party',
];

export const BEST_OF_TITLES: readonly string[] = [
  'The Best of {artist}', 'Greatest Hits', 'Essential {artist}', 'Gold', 'Anthology', 'Singles Collection',
  '{artist}: The Collection',
];

export const STUDIOS: readonly string[] = [
  'Sub Pop', 'Rough Trade', 'Blue Note', 'Motown', 'Warp', '4AD', 'Matador', 'XL Recordings', 'Stax', 'ECM',
  'Domino', 'Def Jam',
];
