import Foundation
import HarmoniaClient
import Testing

/// `harmonia schedules ...` against a live server subprocess, across a `kill -9` and restart.
struct SchedulesCLITests {
    @Test("schedules create, list, get, pause; kill -9 and restart; resume, delete", .timeLimit(.minutes(2)))
    func schedulesEndToEnd() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path + "/data"
        var server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: data)
        defer { server.kill() }
        _ = try await server.client().createWorkflow([
            "id": "report", "name": "report", "tasks": [["name": "only", "component": "harmonia", "action": "noop"]],
        ])
        var url = ["--url", server.baseURL]

        let created = try await CLITests.harmonia(
            ["schedules", "create", "--workflow", "report", "--cron", "0 3 * * *", "--timezone", "Europe/Paris",
             "--id", "nightly", "--input", "n=2", "--missed-runs", "run_once"] + url)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "nightly\n")
        #expect(created.stderr.contains("next run"), "\(created.stderr)")

        let bad = try await CLITests.harmonia(["schedules", "create", "--workflow", "report", "--cron", "0 25 * * *"] + url)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("hour"), "\(bad.stderr)")

        let listed = try await CLITests.harmonia(["schedules", "list"] + url)
        #expect(listed.stdout.contains("nightly") && listed.stdout.contains("Europe/Paris") && listed.stdout.contains("active"), "\(listed.stdout)")
        let shown = try await CLITests.harmonia(["schedules", "get", "nightly"] + url)
        #expect(shown.stdout.contains("next runs:") && shown.stdout.contains("run_once"), "\(shown.stdout)")
        let paused = try await CLITests.harmonia(["schedules", "pause", "nightly"] + url)
        #expect(paused.stdout == "nightly paused\n", "\(paused.stderr)")

        server.kill()
        server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: data)
        url = ["--url", server.baseURL]
        let afterRestart = try await server.client().getSchedule(id: "nightly")
        #expect(afterRestart.paused && afterRestart.cron == "0 3 * * *" && afterRestart.input == ["n": 2])

        let resumed = try await CLITests.harmonia(["schedules", "resume", "nightly"] + url)
        #expect(resumed.stdout.hasPrefix("nightly active, next run 20"), "\(resumed.stdout) \(resumed.stderr)")
        let json = try await CLITests.harmonia(["schedules", "get", "nightly", "--json"] + url)
        #expect(json.stdout.contains("\"next_runs\""), "\(json.stdout)")
        let deleted = try await CLITests.harmonia(["schedules", "delete", "nightly"] + url)
        #expect(deleted.stdout == "nightly deleted\n")
        let gone = try await CLITests.harmonia(["schedules", "get", "nightly"] + url)
        #expect(gone.status != 0)
        #expect(gone.stderr.contains("not_found") || gone.stderr.contains("no schedule"), "\(gone.stderr)")
    }
}
