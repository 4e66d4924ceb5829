import { describe, expect, it } from 'vitest';
import { classifyServiceEvent, classifyStoppedTask, countLogPatterns } from './classify.js';
import type { TaskResult } from './ecs-results.js';

function task(
  changes: Partial<TaskResult>,
  container: Partial<TaskResult['containers'][number]> = {},
): TaskResult {
  return {
    task_arn: 'arn:aws:ecs:us-east-1:123456789012:task/c/0123456789abcdef0123456789abcdef',
    task_definition_arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
    last_status: 'STOPPED',
    desired_status: 'STOPPED',
    containers: [{ name: 'web', ...container }],
    ...changes,
  };
}

describe('classifyStoppedTask', () => {
  it.each([
    [
      task({ stopped_reason: 'CannotPullContainerError: failed to resolve ref shop:9: not found' }),
      'image-pull',
    ],
    [
      task({ stopped_reason: 'Task failed to start' }, { reason: 'pull access denied for shop' }),
      'image-pull',
    ],
    [task({ stopped_reason: 'Essential container in task exited' }, { exit_code: 137 }), 'out-of-memory'],
    [task({}, { reason: 'OutOfMemoryError: Container killed due to memory usage' }), 'out-of-memory'],
    [task({ stopped_reason: 'Essential container in task exited' }, { exit_code: 139 }), 'segfault'],
    [task({ stopped_reason: 'Essential container in task exited' }, { exit_code: 1 }), 'application-error'],
    [
      task({ stopped_reason: 'Essential container in task exited' }, { exit_code: 0 }),
      'essential-container-exit',
    ],
    [
      task({ stopped_reason: 'CannotStartContainerError: exec: "/srv/start.sh": no such file' }),
      'start-failure',
    ],
    [
      task({ stopped_reason: 'ResourceInitializationError: unable to pull secrets or registry auth' }),
      'start-failure',
    ],
    [task({ stopped_reason: 'RESOURCE:MEMORY' }), 'resource-constraint'],
    [task({ stopped_reason: 'Task failed ELB health checks in (target-group web)' }), 'health-check'],
    // A deployment stopping old tasks kills them (137): that is not a crash.
    [
      task({ stopped_reason: 'Scaling activity initiated by (deployment ecs-svc/1)' }, { exit_code: 137 }),
      'other',
    ],
    [
      task({ stop_code: 'UserInitiated', stopped_reason: 'Task stopped by user' }, { exit_code: 137 }),
      'other',
    ],
    [task({}), 'other'],
  ])('%# -> %s', (input, cause) => {
    expect(classifyStoppedTask(input).cause).toBe(cause);
  });

  it('keeps the AWS text as evidence, each reason once, with the exit code', () => {
    const reason = 'OutOfMemoryError: Container killed due to memory usage';
    const classified = classifyStoppedTask(task({ stopped_reason: reason }, { reason, exit_code: 137 }));
    expect(classified.evidence).toBe(`${reason}; container web exited with code 137`);
    expect(classified.exitCode).toBe(137);
  });
});

describe('classifyServiceEvent', () => {
  it('reads placement failures, failed deployments and steady states', () => {
    expect(
      classifyServiceEvent(
        '(service api) was unable to place a task because no container instance met all of its requirements.',
      ),
    ).toBe('resource-constraint');
    expect(
      classifyServiceEvent('(service api) deployment ecs-svc/1 deployment failed: tasks failed to start.'),
    ).toBe('deployment-failed');
    expect(classifyServiceEvent('(service api) has reached a steady state.')).toBe('steady-state');
    expect(classifyServiceEvent('(service api) registered 1 targets')).toBeUndefined();
  });
});

describe('countLogPatterns', () => {
  it('counts each pattern and keeps short samples', () => {
    const counts = countLogPatterns(
      [
        'INFO ok',
        'java.lang.OutOfMemoryError: Java heap space',
        'Traceback (most recent call last):',
        'ERROR ValueError Exception raised',
        `ERROR ${'x'.repeat(400)}`,
      ].map((message) => ({ log_stream_name: 's', message })),
    );
    expect(counts.map((entry) => [entry.pattern, entry.count])).toEqual([
      ['OOM', 1],
      ['Traceback', 1],
      ['Exception', 1],
      ['ERROR', 2],
    ]);
    expect(counts.find((entry) => entry.pattern === 'ERROR')?.samples[1]).toHaveLength(200);
  });
});
