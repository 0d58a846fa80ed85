import Hummingbird
import NIOCore

/// Hands Hummingbird's response body writer to the child task that writes an SSE stream.
///
/// `@unchecked Sendable` because the writer is not `Sendable`. Safe: exactly one task uses
/// it at a time. The handler's task copies the writer in, then only awaits the task group
/// in which the writing child runs, and touches its own copy (to finish the response) only
/// after that group has ended.
final class ResponseWriterBox: @unchecked Sendable {
    private var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    func write(_ buffer: ByteBuffer) async throws {
        try await writer.write(buffer)
    }
}
