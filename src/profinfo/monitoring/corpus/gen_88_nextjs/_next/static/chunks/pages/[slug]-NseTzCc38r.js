/* [slug]-NseTzCc38r.js */
