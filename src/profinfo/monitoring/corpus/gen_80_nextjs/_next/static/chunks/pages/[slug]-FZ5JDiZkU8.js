/* [slug]-FZ5JDiZkU8.js */
