"""What a Task's Resource means: lambdas, activities, callbacks, nested executions, AWS services.

:class:`~fakesfn.integrations.services.TaskServices` is the engine's task runner
(:class:`~fakesfn.engine.ports.TaskRunner`): it looks a resource up in the
:mod:`~fakesfn.integrations.registry` and runs the integration registered for it,
with the registered handlers, the AWS session, the Step Functions API, the task
tokens and the mocks it holds. :mod:`~fakesfn.integrations.catalog` lists the
modules that register integrations.
"""
