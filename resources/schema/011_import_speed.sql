-- Import speed (SPEC §12: >= 100,000 Sysmon events/s). No query looks events up by their
-- process: the timeline, forest and command-line queries go from events to processes (through
-- processes.process_key, which keeps its unique index). Keeping this index cost a random insert
-- into a B-tree of ~55-byte text keys per imported event, the largest single cost of an import.
DROP INDEX events_process;
