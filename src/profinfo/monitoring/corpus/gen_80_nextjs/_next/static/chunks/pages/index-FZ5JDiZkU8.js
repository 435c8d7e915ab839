/* index-FZ5JDiZkU8.js */
