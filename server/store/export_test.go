package store

// StatusRankExpr is the status order expression, for tests.
var StatusRankExpr = statusRankExpr
