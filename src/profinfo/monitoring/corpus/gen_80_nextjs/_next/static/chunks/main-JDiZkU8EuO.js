/* main-JDiZkU8EuO.js */
