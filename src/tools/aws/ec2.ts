/** The EC2 tool family: launch, stop, terminate, list instances, find AMIs. */
import type { AnyTool } from '../define-tool.js';
import { launchEc2 } from './ec2-launch.js';
import { stopEc2, terminateEc2 } from './ec2-lifecycle.js';
import { describeImages, listEc2Instances } from './ec2-read.js';

export { describeImages, launchEc2, listEc2Instances, stopEc2, terminateEc2 };

export const EC2_TOOLS: AnyTool[] = [launchEc2, stopEc2, terminateEc2, listEc2Instances, describeImages];
