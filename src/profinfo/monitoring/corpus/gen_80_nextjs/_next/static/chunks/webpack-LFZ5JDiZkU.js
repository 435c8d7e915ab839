/* webpack-LFZ5JDiZkU.js */
