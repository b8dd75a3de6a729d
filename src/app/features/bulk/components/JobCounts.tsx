import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { BulkJob } from '../../../../api';
import { Fact } from '../../../components/Fact';
import { formatTimeLeft, outcomeSummary } from '../bulk-labels';

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
 * How far the run is (the server's progress): a bar of the `change` rows done, what became of them,
 * and while it runs the time left at the pace of the last minute.
 */
export const JobProgress = ({ job }: { job: BulkJob }) => {
  const { done, total, etaSeconds } = job.progress;
  const percent = total > 0 ? Math.round((done / total) * 100) : 100;
  const doneText = `${number(done)} of ${number(total)} rows done`;
  return (
    <Box sx={{ my: 2 }}>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', justifyContent: 'space-between', mb: 0.5 }}>
        <Typography>{doneText}</Typography>
        <Typography color="text.secondary">
          {job.status === 'running'
            ? etaSeconds === null
              ? 'Estimating the time left…'
              : formatTimeLeft(etaSeconds)
            : job.status === 'paused'
              ? 'Paused'
              : ''}
        </Typography>
      </Stack>
      <LinearProgress variant="determinate" value={percent} aria-label="Job progress" aria-valuetext={doneText} sx={{ height: 8, borderRadius: 1 }} />
      <Typography sx={{ mt: 1 }}>{outcomeSummary(job.counts)}</Typography>
    </Box>
  );
};
