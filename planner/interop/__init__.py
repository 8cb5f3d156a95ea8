"""Outside formats, one module per format: each has read() and/or write()."""
