import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { BulkJob } from '../../../../api';
import { Fact } from '../../../components/Fact';
import { estimateTimeLeft, formatTimeLeft, outcomeSummary } from '../bulk-labels';

const number = (value: number) => value.toLocaleString('en-US');

/** The dry run's verdicts counted: what will change, what already is so, what was refused. */
export const DryRunCounts = ({ job }: { job: BulkJob }) => (
  <Stack component="section" aria-label="Dry run counts" direction="row" spacing={4} useFlexGap sx={{ flexWrap: 'wrap' }}>
    <Fact label="Rows">{number(job.counts.rows)}</Fact>
    <Fact label="Will change">{number(job.counts.change)}</Fact>
    <Fact label="Already so">{number(job.counts.noop)}</Fact>
    <Fact label="Refused">{number(job.counts.refused)}</Fact>
  </Stack>
);

/**
 * How far the run is: a bar of the `change` rows done, what became of them, and while it runs the
 * time left at the rate kept since it started (`at`: when these numbers were read).
 */
export const JobProgress = ({ job, at }: { job: BulkJob; at: number }) => {
  const { done, change } = job.counts;
  const percent = change > 0 ? Math.round((done / change) * 100) : 100;
  const left = estimateTimeLeft(job, at);
  const doneText = `${number(done)} of ${number(change)} rows done`;
  return (
    <Box sx={{ my: 2 }}>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', justifyContent: 'space-between', mb: 0.5 }}>
        <Typography>{doneText}</Typography>
        <Typography color="text.secondary">
          {job.status === 'running' ? (left === undefined ? 'Estimating the time left…' : formatTimeLeft(left)) : job.status === 'paused' ? 'Paused' : ''}
        </Typography>
      </Stack>
      <LinearProgress variant="determinate" value={percent} aria-label="Job progress" aria-valuetext={doneText} sx={{ height: 8, borderRadius: 1 }} />
      <Typography sx={{ mt: 1 }}>{outcomeSummary(job.counts)}</Typography>
    </Box>
  );
};
