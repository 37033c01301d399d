//! Result encoders (VOTable, CSV, TSV, JSON, VOParquet, FITS) from Arrow record batches, and readers of VOTable and FITS tables into Arrow.
