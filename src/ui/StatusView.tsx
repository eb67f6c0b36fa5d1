/**
 * The Ink (TTY) rendering of the status view model: the same sections as the plain text, with
 * colour and layout from Ink. `status --watch` re-renders it from a watch.
 */
import {Box, Text} from 'ink'
import type {Section} from './status-view.js'

export function SectionsView({sections, footer}: {sections: Section[]; footer?: string}) {
  return (
    <Box flexDirection="column">
      {sections.map((sec, i) => (
        <Box key={i} flexDirection="column" marginTop={i === 0 ? 0 : 1}>
          {sec.title ? <Text bold>{sec.title}:</Text> : null}
          {sec.lines.map((line, j) => (
            <Text key={j} wrap="truncate-end">
              {line.map((s, k) => (
                <Text key={k} color={s.color === 'gray' ? 'gray' : s.color === 'bold' || s.color === 'dim' ? undefined : s.color} bold={s.bold || s.color === 'bold'} dimColor={s.color === 'dim'}>
                  {s.text}
                </Text>
              ))}
            </Text>
          ))}
        </Box>
      ))}
      {footer ? (
        <Box marginTop={1}>
          <Text dimColor>{footer}</Text>
        </Box>
      ) : null}
    </Box>
  )
}
