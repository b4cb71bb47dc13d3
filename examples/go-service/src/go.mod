module example.com/go-orders

go 1.19

require liftspec.local/lift v0.0.0

// The Go module `liftspec compile` writes: liftconfig (this environment's values) and liftruntime.
// Point it at the environment you build: go mod edit -replace liftspec.local/lift=../build/lift/staging
replace liftspec.local/lift => ../build/lift/production
