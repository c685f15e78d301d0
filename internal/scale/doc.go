// Package scale provides feature scalers equivalent to scikit-learn's
// preprocessing transformers, in a form that can be frozen to JSON together
// with a fitted model.
//
// Data are dense and row-major: a matrix of n rows (customers) and d columns
// (features) is a []float64 of length n·d where element (i, j) is X[i*d+j].
// No function in this package modifies its inputs.
//
// The methods, named as in the YAML configuration, are
//
//	standard        z = (x − mean) / std, std is the population standard
//	                deviation (ddof = 0), as sklearn.preprocessing.StandardScaler
//	minmax          z = (x − min) / (max − min), as MinMaxScaler with
//	                feature_range (0, 1)
//	robust          z = (x − median) / (q75 − q25), quantiles by linear
//	                interpolation (numpy's default), as RobustScaler
//	normalize       each row divided by its Euclidean (L2) norm, as
//	                sklearn.preprocessing.normalize; stateless. Rows whose norm
//	                is below 10·ε (in particular all-zero rows) are left
//	                unchanged, as sklearn does
//	log1p-standard  z = (log1p(x) − mean) / std with mean and std of log1p(x);
//	                every value must be > −1
//	none            z = x
//
// Optional per-feature weights multiply the scaled columns (after scaling, and
// for normalize after the row has been normalised). A weight must be finite and
// strictly positive: a weight of zero would silently drop a feature and make
// the scaler impossible to invert, so a feature that should not count must be
// removed from the feature list instead.
//
// Fit rejects data a scaler cannot represent, with an error that names the
// feature and, where it applies, the 0-based row: NaN or ±Inf values, values
// ≤ −1 for log1p-standard, and constant features (zero variance for standard
// and log1p-standard, zero interquartile range for robust, zero range for
// minmax). Where scikit-learn silently replaces such a scale by 1, this
// package refuses, because the resulting column would carry no information
// in a segmentation. Near-constant features are detected as scikit-learn
// does: a variance is taken as zero when var ≤ n·ε·var + (n·mean·ε)².
// Data errors are reported as *FeatureError values.
//
// FitWeighted fits with per-row frequency weights (the cluster stage's
// input.weight_column): weighted mean and population std
// (StandardScaler(sample_weight=)), min/range over positive weights,
// weighted median and IQR (quantiles of the repeated rows).
//
// Fitted statistics follow scikit-learn's arithmetic (corrected two-pass
// variance, numpy's median and linear-interpolation quantiles) and agree with
// it to within a few units in the last place. Accumulated products are
// wrapped in explicit float64 conversions so that the compiler cannot fuse
// them into FMA instructions: results are bit-identical across
// architectures.
package scale
