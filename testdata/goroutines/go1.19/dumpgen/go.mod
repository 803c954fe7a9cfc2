module kube-forensics.test/dumpgen

go 1.19

require k8s.io/apiserver v0.0.0

// A local stand-in, not the real module: see ../README.md. The import path is the real one so that
// the function names in the dumps have the same shape as a kube-apiserver's.
replace k8s.io/apiserver => ./apiserver-mimic
