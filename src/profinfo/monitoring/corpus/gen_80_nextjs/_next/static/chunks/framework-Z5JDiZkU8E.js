/* framework-Z5JDiZkU8E.js */
