/**
 * Turns a complete deploy request into a plan of catalog tool calls. Plans are built in code from
 * the request, never free-written by a model, so every step is a real tool with valid arguments.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { PlanStep } from '../../protocol/events.js';
import type { ToolRunner } from '../../tools/runner.js';
import { createPlan, type Plan } from '../plan.js';
import { type DeployRequest, defaultAppName } from './deploy-request.js';

function step(
  runner: ToolRunner,
  id: string,
  tool: string,
  args: Record<string, unknown>,
  description: string,
): PlanStep {
  const clean = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
  return { id, tool, args: clean, risk: runner.riskOf(tool, clean), description };
}

/** Bucket names are global: a short hash of the app, region and account keeps them unique and stable. */
export function siteBucketName(appName: string, region: string, account: string): string {
  const suffix = createHash('sha256').update(`${appName}:${region}:${account}`).digest('hex').slice(0, 8);
  return `${appName}-site-${suffix}`.slice(0, 63);
}

export interface DraftInput {
  request: Required<Pick<DeployRequest, 'repo' | 'target' | 'region'>> & DeployRequest;
  /** Workspace-relative folder of the project (the checkout or the local path). */
  projectDir: string;
  account: string;
  runner: ToolRunner;
}

export function draftPlan(input: DraftInput): Plan {
  const { request, runner } = input;
  const appName = request.app_name ?? defaultAppName(request.repo);
  const region = request.region;
  const environment =
    request.environment && Object.keys(request.environment).length > 0 ? request.environment : undefined;
  switch (request.target) {
    case 'lambda':
      return createPlan(`Deploy ${appName} to AWS Lambda in ${region}`, [
        step(
          runner,
          'function',
          'deploy_lambda_repo',
          {
            repo: request.repo,
            branch: request.branch,
            function_name: appName,
            role_arn: request.role_arn,
            region,
            environment,
            staging_bucket: request.staging_bucket,
            // The sample app is a web API: a public URL is what makes it reachable. The approval
            // card shows it, so the person decides.
            function_url: 'public',
          },
          `Package the backend, create or update the Lambda function ${appName} and give it a public function URL`,
        ),
      ]);
    case 's3-static': {
      const bucket = siteBucketName(appName, region, input.account);
      return createPlan(`Publish ${appName}'s frontend as a static site in ${region}`, [
        step(
          runner,
          'site',
          'publish_static_site',
          {
            bucket_name: bucket,
            source_dir: posix.join(input.projectDir, 'frontend', 'dist'),
            region,
          },
          `Upload frontend/dist to the bucket ${bucket} and serve it as a public website`,
        ),
      ]);
    }
    case 'ec2':
      return createPlan(`Deploy ${appName} to an EC2 instance in ${region}`, [
        step(
          runner,
          'staging-bucket',
          'create_bucket',
          { bucket_name: request.staging_bucket, region },
          `Make sure the staging bucket ${request.staging_bucket} exists`,
        ),
        step(
          runner,
          'instance',
          'deploy_ec2_repo',
          {
            repo: request.repo,
            branch: request.branch,
            app_name: appName,
            region,
            instance_type: request.instance_type ?? 't3.micro',
            ami_id: request.ami_id,
            key_name: request.key_name,
            staging_bucket: request.staging_bucket,
          },
          `Stage the app in S3 and launch an instance whose user data installs and starts it`,
        ),
      ]);
    case 'ecs-fargate':
      return createPlan(`Run ${appName} on ECS Fargate in ${region}`, [
        step(
          runner,
          'cluster',
          'create_cluster',
          { cluster_name: appName, region },
          `Create the ECS cluster ${appName} if missing`,
        ),
        step(
          runner,
          'task-definition',
          'register_task_definition',
          {
            family: appName,
            region,
            cpu: '256',
            memory: '512',
            container_definitions: [
              {
                name: appName,
                image: request.image,
                essential: true,
                memory_reservation: 256,
                port_mappings: [{ container_port: 8000 }],
                ...(environment ? { environment } : {}),
              },
            ],
          },
          `Register a task definition running ${request.image}`,
        ),
        step(
          runner,
          'service',
          'create_service',
          {
            cluster: appName,
            service_name: appName,
            task_definition: appName,
            desired_count: 1,
            region,
            subnets: request.subnets,
            security_groups: request.security_groups,
            assign_public_ip: true,
          },
          `Create the service ${appName} with one task`,
        ),
      ]);
  }
}
