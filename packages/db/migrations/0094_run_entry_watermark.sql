-- "Placed an order since they entered the journey": a journey's condition can count only the
-- events after the run's entry. Which those are is decided as a wait for an event decides it, by
-- the events' ids (their arrival order, not their clocks): the run's trigger event for an event
-- trigger, else the contact's last event when the run began, kept on the run here. Runs begun
-- before have none: their conditions fall back to the trigger event named in `entry`, else to
-- the events received by the time the run started.
alter table journey_runs add column watermark bigint;
