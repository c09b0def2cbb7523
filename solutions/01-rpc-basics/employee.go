// Package rpcbasics makes one remote call by hand, with nothing but the
// standard library: EmployeeService.GetEmployeeByName(fullName) -> Employee.
//
// Each file solves one of the five problems of a remote call:
//
//	codec.go   step 1: turn arguments and results into bytes (problem 3)
//	frame.go   step 2: cut a byte stream into calls and replies
//	server.go  step 3: read bytes, find the method, call it, reply (problems 4, 5)
//	client.go  step 4: one connection shared by many calls, or one per call (problems 1, 2)
//	netrpc.go  step 5: the same service through the standard library's net/rpc
package rpcbasics

import (
	"errors"
	"fmt"
)

// Employee is what the service returns.
type Employee struct {
	ID       int64
	FullName string
	Email    string
	Title    string
}

// ErrEmployeeNotFound is the service's answer for a name it does not know.
var ErrEmployeeNotFound = errors.New("employee not found")

// Directory is a small in-memory directory of employees, looked up by full
// name. It is read-only once built, so many goroutines may share it.
type Directory struct {
	byName map[string]Employee
}

// NewDirectory returns a directory holding the given employees.
func NewDirectory(employees ...Employee) *Directory {
	d := &Directory{byName: make(map[string]Employee, len(employees))}
	for _, e := range employees {
		d.byName[e.FullName] = e
	}
	return d
}

// SampleDirectory returns the directory the tests, benchmarks and README use.
func SampleDirectory() *Directory {
	return NewDirectory(
		Employee{ID: 7, FullName: "Ada Lovelace", Email: "ada@example.com", Title: "Engineer"},
		Employee{ID: 12, FullName: "Grace Hopper", Email: "grace@example.com", Title: "Rear Admiral"},
		Employee{ID: 36, FullName: "Alan Turing", Email: "alan@example.com", Title: "Researcher"},
		Employee{ID: 150, FullName: "Zoë Müller", Email: "zoe@example.com", Title: "Site Reliability Engineer"},
	)
}

// GetEmployeeByName is the local call that the rest of the chapter makes remote.
func (d *Directory) GetEmployeeByName(fullName string) (Employee, error) {
	e, ok := d.byName[fullName]
	if !ok {
		return Employee{}, fmt.Errorf("%w: %q", ErrEmployeeNotFound, fullName)
	}
	return e, nil
}

// GetEmployeeByNameMethod is the method's address on the server: a service
// name, a dot, a method name. net/rpc uses the same convention.
const GetEmployeeByNameMethod = "EmployeeService.GetEmployeeByName"

// GetEmployeeByNameHandler is the server side of the call (step 3): bytes in,
// bytes out. It decodes the name, calls the directory, encodes the employee.
func GetEmployeeByNameHandler(dir *Directory) Handler {
	return func(body []byte) ([]byte, error) {
		fullName, err := UnmarshalString(body)
		if err != nil {
			return nil, fmt.Errorf("bad request: %w", err)
		}
		e, err := dir.GetEmployeeByName(fullName)
		if err != nil {
			return nil, err
		}
		return MarshalEmployee(e)
	}
}

// EmployeeService is the same service in the shape net/rpc wants (step 5):
// an exported method with an argument, a pointer to the reply, and an error.
type EmployeeService struct {
	Dir *Directory
}

// GetEmployeeByName looks fullName up in the directory.
func (s *EmployeeService) GetEmployeeByName(fullName string, reply *Employee) error {
	e, err := s.Dir.GetEmployeeByName(fullName)
	if err != nil {
		return err
	}
	*reply = e
	return nil
}
