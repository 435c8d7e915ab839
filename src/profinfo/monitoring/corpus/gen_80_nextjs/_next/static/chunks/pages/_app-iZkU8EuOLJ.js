/* _app-iZkU8EuOLJ.js */
