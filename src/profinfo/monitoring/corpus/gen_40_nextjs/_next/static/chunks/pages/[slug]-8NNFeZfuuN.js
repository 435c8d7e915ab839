/* [slug]-8NNFeZfuuN.js */
