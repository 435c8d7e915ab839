/* framework-NNFeZfuuNd.js */
