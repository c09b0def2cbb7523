// Package wireformat writes the protocol buffers wire format by hand, then
// lets the library do it: field keys and varints (step 1), a whole Employee
// with protowire (step 2), unknown fields and schema evolution (step 3), the
// JSON mapping (step 4), and a comparison of formats (step 5).
//
// The messages come from employee.proto, generated into the package
// github.com/rpcworkshop/workshop/02-protobuf/employeepb.
package wireformat
