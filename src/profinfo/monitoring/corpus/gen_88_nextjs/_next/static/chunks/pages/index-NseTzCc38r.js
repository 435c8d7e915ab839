/* index-NseTzCc38r.js */
