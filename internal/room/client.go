package room

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/rpcworkshop/workshop/internal/room/roompb"
)

// Client calls a room, with its code on every call.
type Client struct {
	conn *grpc.ClientConn
	rpc  roompb.RoomClient
	code string
}

// Dial prepares calls to the room at addr (host:port); it connects at the
// first call.
func Dial(addr, code string) (*Client, error) {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, rpc: roompb.NewRoomClient(conn), code: code}, nil
}

func (c *Client) withCode(ctx context.Context) context.Context {
	return metadata.AppendToOutgoingContext(ctx, CodeKey, c.code)
}

// Join puts a student on the board and returns their id.
func (c *Client) Join(ctx context.Context, name string) (string, error) {
	reply, err := c.rpc.Join(c.withCode(ctx), &roompb.JoinRequest{Name: name})
	return reply.GetStudentId(), err
}

// Report sends the states of some chapters.
func (c *Client) Report(ctx context.Context, id string, chapters []*roompb.Chapter) error {
	_, err := c.rpc.Report(c.withCode(ctx), &roompb.ReportRequest{StudentId: id, Chapters: chapters})
	return err
}

// Leave takes a student off the board.
func (c *Client) Leave(ctx context.Context, id string) error {
	_, err := c.rpc.Leave(c.withCode(ctx), &roompb.LeaveRequest{StudentId: id})
	return err
}

// Close ends the connection.
func (c *Client) Close() error { return c.conn.Close() }
